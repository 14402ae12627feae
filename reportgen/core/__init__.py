"""The ground floor: errors and issues, Vietnamese numbers and text, periods, targets, files (stdlib and Babel only)."""
