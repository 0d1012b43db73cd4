"""Reporting units, obligations and deadlines of the plan, and the reminder service.

Built by the "Remind" issue on the storage and channel adapters of the foundation.
"""
