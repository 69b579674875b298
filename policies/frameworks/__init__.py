"""Framework files (data): requirement -> check IDs."""
