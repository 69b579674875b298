"""Reading council spreadsheets and estate files into records."""
