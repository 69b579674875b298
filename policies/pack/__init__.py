"""The council baseline as a Pulumi policy pack: ``build`` writes the pack directory (its code in
``template/`` runs in its own environment and imports only pulumi-policy), ``evaluate`` is what the
pack asks borough to do with the stack the policy engine sent."""
