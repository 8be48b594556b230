// Command benchtool does the parts of bench/run that a shell does badly:
// time a terminal program to its first frame in a pseudo-terminal, time
// durable saves one by one for their percentiles, read hyperfine's JSON and
// go test -bench output, and print the results as one table.
//
//	benchtool firstframe [-runs N] [-marker TEXT] -- BINARY ARGS...
//	benchtool saves [-n N] DB
//	benchtool hyperfine FILE.json
//	benchtool gobench [-bench REGEXP] FILE
//	benchtool table RESULTS.tsv
//	benchtool exportsql
//
// Every subcommand prints plain numbers (tab-separated) or the table on
// stdout, and exits 1 with a message on stderr when something fails.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	args := os.Args[2:]
	switch os.Args[1] {
	case "firstframe":
		err = firstFrame(args)
	case "saves":
		err = saves(args)
	case "hyperfine":
		err = hyperfineMedians(args)
	case "gobench":
		err = goBench(args)
	case "table":
		err = table(args)
	case "exportsql":
		err = exportSQL(args)
	default:
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "benchtool %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

const usage = `usage: benchtool firstframe [-runs N] [-marker TEXT] -- BINARY ARGS...
       benchtool saves [-n N] DB
       benchtool hyperfine FILE.json
       benchtool gobench [-bench REGEXP] FILE
       benchtool table RESULTS.tsv
       benchtool exportsql`
