"""Which Python environment runs a program, and how it is installed: interpreter choice, --install, declared requirements and their mismatches."""
