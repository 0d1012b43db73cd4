"""Trợ lý CĐCS: settings, logging and the ``cdcs`` command line."""
