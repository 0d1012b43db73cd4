"""Tools for developers and tests: local fakes of the messaging platforms (loopback only)."""
