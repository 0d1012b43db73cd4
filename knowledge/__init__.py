"""The knowledge base, a domain: the legal texts and the plan, their structure, the hybrid index
(BM25 + e5 in Chroma) and extractive answers quoted verbatim with exact citations.

May import the kernel and storage; nothing of ``bot``."""
