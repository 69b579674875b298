"""Library catalogue single sign-on: the app registration and its service principal."""

import pulumi
import pulumi_azuread as azuread

app = azuread.Application("library-catalogue", display_name="Library catalogue")
principal = azuread.ServicePrincipal("library-catalogue", application_id=app.application_id)

pulumi.export("clientId", app.application_id)
