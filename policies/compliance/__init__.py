"""What the findings evidence: Microsoft's UK initiatives, how far borough covers them, and the CAF evidence pack."""
