from commands.root import main

raise SystemExit(main())
