"""``python -m foyer.devstack._aws``: the AWS emulator with seeded snapshot ages."""

from foyer.devstack._aws.emulator import main

main()
