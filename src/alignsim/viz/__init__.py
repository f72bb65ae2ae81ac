"""Drawing: matplotlib figures from plain data (imports no other alignsim layer)."""
