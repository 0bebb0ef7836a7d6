package store

// A merge spends about as much CPU outside SQLite (sealing, decrypting,
// JSON) as inside it, and SQLite runs on one goroutine. ahead moves that
// work to a second goroutine, a step ahead of the statements that need it,
// so that a second core shortens the pull instead of idling.

// aheadChunk is how many items the worker hands over at a time.
const aheadChunk = 64

// minAhead is the smallest job worth a goroutine: a single change merged
// through Tx.ApplyRemote is done inline. (A variable so that property tests
// take the second goroutine with small batches.)
var minAhead = 2 * aheadChunk

// ahead holds the results of fn(0..n-1), computed in order on another
// goroutine, chunk by chunk.
type ahead[T any] struct {
	out   []T
	ready []chan struct{} // closed when a chunk's results are in out
}

// computeAhead starts computing fn(i) for every i below n. fn must only
// read what the caller does not change until it has got the result.
func computeAhead[T any](n int, fn func(i int) T) *ahead[T] {
	a := &ahead[T]{out: make([]T, n), ready: make([]chan struct{}, (n+aheadChunk-1)/aheadChunk)}
	for c := range a.ready {
		a.ready[c] = make(chan struct{})
	}
	run := func() {
		for c, done := range a.ready {
			for i := c * aheadChunk; i < min(n, (c+1)*aheadChunk); i++ {
				a.out[i] = fn(i)
			}
			close(done)
		}
	}
	if n < minAhead {
		run()
	} else {
		go run()
	}
	return a
}

// get waits for fn(i) and returns it.
func (a *ahead[T]) get(i int) T {
	<-a.ready[i/aheadChunk]
	return a.out[i]
}

// wait waits for every result.
func (a *ahead[T]) wait() []T {
	if len(a.ready) > 0 {
		<-a.ready[len(a.ready)-1]
	}
	return a.out
}
