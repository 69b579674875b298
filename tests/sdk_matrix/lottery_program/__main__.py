"""Community lottery draw: a component holding the draw's random choices, with a secret seed."""

import pulumi
import pulumi_random as random


class Draw(pulumi.ComponentResource):
    def __init__(self, name: str, tickets: int, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("lottery:index:Draw", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.seed = random.RandomPassword(f"{name}-seed", length=24, special=False, opts=child)
        self.winner = random.RandomInteger(f"{name}-winner", min=1, max=tickets, opts=child)
        self.label = random.RandomPet(f"{name}-label", length=2, opts=child)
        self.register_outputs({"winner": self.winner.result})


config = pulumi.Config()
draw = Draw("spring", tickets=config.get_int("tickets") or 500)
pulumi.export("label", draw.label.id)
pulumi.export("winner", draw.winner.result)
pulumi.export("seed", draw.seed.result)
pulumi.export("announcement", pulumi.Output.concat("The ", draw.label.id, " draw is won by ticket ",
                                                   draw.winner.result.apply(str)))
