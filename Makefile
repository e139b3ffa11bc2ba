# The two commands of the README; everything else is in tools/dev.sh.
.PHONY: demo test
demo:
	tools/dev.sh demo
test:
	tools/dev.sh test
