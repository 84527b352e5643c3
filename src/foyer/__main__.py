from foyer.cli.app import main

main()
