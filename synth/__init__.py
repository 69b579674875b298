"""The offline synthesis engine: runs any Pulumi Python program under mocks, in a child interpreter, and returns its resource graph."""
