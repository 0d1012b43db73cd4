"""Report, a domain: grievances and protection cases (plan part II.4) from the reporter to
provincial staff: the case desk (``service``: access rules, sealing, audit, evidence), who is who
(``people``), the workflow's rules and words (``rules``, ``texts``) and the messages its changes
send (``relay``).

May import the kernel, storage, and from ``bot`` only the message types and payload codecs."""
