"""The Mesa model: the numpy relation update, the agents' decisions, the recorder and its relation arrays."""
