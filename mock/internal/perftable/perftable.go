// Package perftable prints the rows of the one table `make bench` shows (the Makefile prints its
// header): | area | case | value | vs | ratio | target | met |. The engine's and the HTTP
// layer's perf harnesses (build tag perf) both write through it, so their rows line up.
package perftable

import "fmt"

// Row prints one row. met is shown as "yes" or "NO" against a target; a row without a target is
// a figure shown for context, and its met column stays empty.
func Row(area, name, value, vs, ratio, target string, met bool) {
	mark := "yes"
	switch {
	case target == "":
		mark = ""
	case !met:
		mark = "NO"
	}
	fmt.Printf("| %s | %s | %s | %s | %s | %s | %s |\n", area, name, value, vs, ratio, target, mark)
}
