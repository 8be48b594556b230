package main

import (
	"context"
	"fmt"
)

// runCapture opens the agent's capture screen.
func (a *app) runCapture(ctx context.Context) error {
	if _, err := a.taxonomy(); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, "The capture screen is coming next. Meanwhile try: whycall taxonomy show")
	return nil
}
