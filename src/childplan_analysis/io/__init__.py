"""Input and output: readers by file type, validation, the monitoring store, safe writers."""
