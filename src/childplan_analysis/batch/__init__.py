"""Batch runs: jobs and manifests, kernel slots, executors, outputs."""
