package search

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Character lists of shared/tools/gen_ledger.py.
const (
	synthSurnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林龙吴杨石潘韦田"
	synthGiven    = "明华建国军平伟芳娟秀英敏静丽强磊洋勇艳杰涛超霞刚桂兰玉萍春梅德福才"
)

var (
	synthAreas = []string{"520102", "520111", "520121", "520381", "520382", "520522",
		"520526", "522229", "522325", "522228", "522627", "522623"}
	synthStatus = []string{"active", "active", "active", "pending", "completed", "suspended"}
	synthRisk   = []string{"high", "medium", "low", "low", ""}
	synthTypes  = []string{"detox", "rehab", ""}
)

// synth returns n deterministic persons with distinct IDs and ID numbers,
// spread over 8 villages.
func synth(n int, seed uint64) []Entry {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	sur, giv := []rune(synthSurnames), []rune(synthGiven)
	seen := make(map[string]bool, n)
	es := make([]Entry, n)
	for i := range es {
		name := []rune{pick(rng, sur), pick(rng, giv)}
		if rng.IntN(2) == 0 {
			name = append(name, pick(rng, giv))
		}
		es[i] = Entry{
			ID:          synthUUID(rng),
			Name:        string(name),
			IDNumber:    synthIDNumber(rng, seen),
			Village:     fmt.Sprintf("5201020030%02d", 1+rng.IntN(8)),
			Status:      pick(rng, synthStatus),
			MeasureType: pick(rng, synthTypes),
			Risk:        pick(rng, synthRisk),
			HasAlert:    rng.IntN(10) == 0,
			Updated:     1_700_000_000_000 + rng.Int64N(100_000_000_000),
			EndDate:     synthDate(rng),
		}
	}
	return es
}

func pick[T any](rng *rand.Rand, list []T) T { return list[rng.IntN(len(list))] }

func synthUUID(rng *rand.Rand) string {
	a, b := rng.Uint64(), rng.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", a>>32, a>>16&0xffff, a&0xfff, b>>48|0x8000, b&0xffffffffffff)
}

// synthIDNumber returns an unused resident ID number with a valid check digit.
func synthIDNumber(rng *rand.Rand, seen map[string]bool) string {
	for {
		birth := time.Date(1965, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(40*365))
		body := pick(rng, synthAreas) + birth.Format("20060102") + fmt.Sprintf("%03d", rng.IntN(1000))
		id := body + string(checkDigit(body))
		if !seen[id] {
			seen[id] = true
			return id
		}
	}
}

// checkDigit is the GB 11643 check character of the first 17 digits.
func checkDigit(body string) byte {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	return "10X98765432"[sum%11]
}

func synthDate(rng *rand.Rand) string {
	if rng.IntN(20) == 0 {
		return ""
	}
	return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(1100)).Format("2006-01-02")
}
