package main

import (
	"errors"
	"fmt"
	"strings"

	"whycall/store"
)

// exportSQL prints the query `whycall export` runs for a whole-database
// export (store.ExportQuery with no bounds), with its arguments written in,
// so that sqlite3 can run the very same query on the same file.
func exportSQL(args []string) error {
	if len(args) != 0 {
		return errors.New("takes no arguments")
	}
	q, qargs := store.ExportQuery{}.SQL()
	pairs := make([]string, 0, 2*len(qargs))
	for i := len(qargs) - 1; i >= 0; i-- { // ?12 before ?1
		v, ok := qargs[i].(int64)
		if !ok {
			return fmt.Errorf("argument ?%d is %T, want an int64", i+1, qargs[i])
		}
		pairs = append(pairs, fmt.Sprintf("?%d", i+1), fmt.Sprint(v))
	}
	fmt.Println(strings.NewReplacer(pairs...).Replace(q) + ";")
	return nil
}
