"""The knowledge base: legal texts, their structure, the hybrid index and cited answers."""
