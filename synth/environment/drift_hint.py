"""A program's error that follows from running it in borough's environment, said as such.

A program synthesized in borough's environment (it came without its virtualenv) may fail on a
provider module because borough has another version than the program asked for
(``network.IpAllocationMethod`` renamed in azure-native 3, ``Application.application_id`` gone
in azuread 6), or because borough does not ship the package at all. The error keeps its
``file:line``; the hint then names the version the program asked for, the one borough has, and
``--install``, which checks the program in an environment built from its own requirements.
"""

from __future__ import annotations

from synth.errors import ProgramError, StacksError
from synth.environment.requirements import canonical, distribution_of
from synth.environment.env import Environment, EnvironmentKind
from synth.program_errors import MISSING_HINT, pip_package


def explain_difference(exc: StacksError, module: object, environment: Environment) -> StacksError:
    """``exc`` with a hint naming the version difference behind it, when there is one."""
    if not isinstance(exc, ProgramError) or environment.kind is not EnvironmentKind.borough:
        return exc
    if not isinstance(module, str) or not module:
        return exc
    # azure.mgmt.storage is azure-mgmt-storage, not whichever azure-* distribution borough has first
    names = {canonical(pip_package(module)), distribution_of(module)}
    for difference in environment.differences:
        if canonical(difference.declared.name) not in names:
            continue
        declared = difference.declared
        if difference.installed is None:
            exc.hint = (f"borough does not ship {declared.name} ({declared.text}, {declared.source}); "
                        f"run with --install to check the program in an environment built from its requirements")
        else:
            exc.hint = (f"the program asks for {declared.text} ({declared.source}) and borough has "
                        f"{declared.name} {difference.installed}; run with --install to check it at the version it asked for")
        return exc
    if environment.declares and exc.hint and exc.hint.startswith(MISSING_HINT):
        package = exc.hint.rsplit(" ", 1)[-1]
        exc.hint = (f"borough does not ship {package}: run with --install to check the program in an environment "
                    f"built from its requirements (which must name {package})")
    return exc
