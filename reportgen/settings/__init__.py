"""reportgen.toml read into typed objects, the working folder, and the reader's limits."""
