from hubext.web.app import main

main()
