"""A connector that posts JSON to an HTTP address: for the test suite and benchmarks only."""
