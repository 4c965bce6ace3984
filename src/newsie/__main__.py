from newsie.cli import main

raise SystemExit(main())
