"""What a mocked provider answers: outputs of registered resources and results of function calls, in the SDK's shapes with Azure's (and companion providers') values."""
