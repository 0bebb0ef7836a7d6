package server

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
)

// TestSignInAnswersAlikeForUnknownNames: an attacker who tries the same
// name again and again, from addresses of their choosing, must not learn
// from the answers whether the account exists: an unknown name meets the
// same waits as a real one.
func TestSignInAnswersAlikeForUnknownNames(t *testing.T) {
	s, _ := accountServer(t)
	ctx := context.Background()
	answers := func(name string) (out []string) {
		for i := 0; i < 6; i++ {
			_, _, err := s.SignIn(ctx, name, "wrong-password-1", fmt.Sprintf("10.0.%d.%d", len(name), i))
			var we *SignInWaitError
			switch {
			case errors.As(err, &we):
				out = append(out, "wait "+we.Wait.String())
			default:
				out = append(out, fmt.Sprint(err))
			}
		}
		return out
	}
	real, unknown := answers("wang.li"), answers("zhao.qian")
	if fmt.Sprint(real) != fmt.Sprint(unknown) {
		t.Fatalf("an existing account answers\n%v\nan unknown name\n%v", real, unknown)
	}
}

// TestSignInWaitsHoldUnderParallelTries: many wrong passwords sent at
// once, each from another address, are not all checked before the first
// failure is counted: the account's waits bound the guesses whatever the
// concurrency.
func TestSignInWaitsHoldUnderParallelTries(t *testing.T) {
	s, _ := accountServer(t)
	ctx := context.Background()
	const tries = 40
	var mu sync.Mutex
	checked := 0
	var wg sync.WaitGroup
	for i := 0; i < tries; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, _, err := s.SignIn(ctx, "wang.li", fmt.Sprintf("wrong-password-%d", i), fmt.Sprintf("10.1.0.%d", i))
			if errors.Is(err, ErrBadSignIn) {
				mu.Lock()
				checked++
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	if checked > 4 {
		t.Fatalf("%d of %d parallel guesses were checked; the waits allow 4 before the first", checked, tries)
	}
}
