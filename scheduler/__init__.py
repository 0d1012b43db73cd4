"""Remind, a domain: reporting units, the plan's obligations and their deadlines, extension
decisions, the planner and the reminder service (exactly-once claims, pacing, escalation, case
response due times).

May import the kernel, storage, the cases domain, and from ``bot`` only the message types, the
outbox and the payload codecs."""
