import azure.functions as func

app = func.FunctionApp()


@app.route(route="collections")
def collections(req: func.HttpRequest) -> func.HttpResponse:
    return func.HttpResponse("Tuesday")
