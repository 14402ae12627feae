"""The one document model (blocks, tables, charts' data, signature lines), built from the assessment and the prose."""
