// Package ledgertest writes synthetic person ledgers for tests,
// benchmarks and the demo database: the kind of spreadsheet a township
// keeps, at any size. Only tests import it.
package ledgertest

import (
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"rehabdesk/store/valid"
)

// standardHeader is the header row of a township's person ledger
// (DOMAIN.md), written out here rather than taken from package ledger: the
// importer then reads a file it did not write, and ledger's own tests can
// use this package.
var standardHeader = []string{"姓名", "性别", "民族", "身份证号", "联系电话", "户籍地址", "现住址", "所属村(社区)",
	"人员类型", "执行开始日期", "执行结束日期", "吸食毒品种类", "风险等级", "就业状况", "备注"}

// Word lists of the generator, as in ../shared/tools/gen_ledger.py.
var (
	genSurnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林龙吴杨石潘韦田")
	genGiven    = []rune("明华建国军平伟芳娟秀英敏静丽强磊洋勇艳杰涛超霞刚桂兰玉萍春梅德福才")
	genAreas    = []string{"520102", "520111", "520121", "520381", "520382", "520522", "520526", "522229", "522325", "522228", "522627", "522623"}
	genTowns    = []string{"双龙镇", "龙场镇", "新场镇", "坪上镇", "盘信镇", "大关镇", "石阡镇", "黔城镇"}
	genVillages = []string{"红星村", "团结村", "新民村", "光明社区", "和平村", "大寨村", "小河村", "龙井村"}
	genDrugs    = []string{"海洛因", "冰毒", "麻古", "氯胺酮", "大麻", "美沙酮", "摇头丸"}
	genTypes    = []string{"社区戒毒", "社区康复"}
	genRisks    = []string{"低风险", "中风险", "高风险"}
	genJobs     = []string{"集中安置", "分散安置", "自主创业", "自谋职业", "公益性岗位", "未就业"}
	genPeoples  = []string{"汉族", "汉族", "苗族", "布依族", "侗族", "彝族", "土家族"}
)

// Generate writes a synthetic UTF-8 CSV ledger of n persons with the
// standard header, the same for the same seed: a Go port of
// gen_ledger.py (same columns and kinds of values, not the same random
// stream) for tests and benchmarks. Every ID number is valid and unique.
func Generate(w io.Writer, n int, seed int64) error {
	g := generator{rng: rand.New(rand.NewPCG(uint64(seed), 0x5eed_1ed9e7)), seen: make(map[string]bool, n)}
	cw := csv.NewWriter(w)
	cw.Write(standardHeader)
	for range n {
		cw.Write(g.row())
	}
	cw.Flush()
	return cw.Error()
}

type generator struct {
	rng  *rand.Rand
	seen map[string]bool
}

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

var genEpoch = time.Date(1965, 1, 1, 0, 0, 0, 0, time.UTC)

func (g *generator) row() []string {
	male := g.rng.IntN(4) != 0
	birth := genEpoch.AddDate(0, 0, g.rng.IntN(40*365+1))
	area := g.pick(genAreas)
	id := g.id(area, birth, male)
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, g.rng.IntN(1001))
	end := valid.AddMonths(start, 36)
	town, village := g.pick(genTowns), g.pick(genVillages)
	notes := ""
	if g.rng.Float64() >= 0.8 {
		notes = "家庭困难,需帮扶"
	}
	sex := map[bool]string{true: "男", false: "女"}[male]
	return []string{g.name(), sex, g.pick(genPeoples), id, g.phone(),
		fmt.Sprintf("贵州省%s%s%d组", town, village, 1+g.rng.IntN(99)),
		fmt.Sprintf("贵州省%s%s%d号", town, village, 1+g.rng.IntN(99)),
		village, g.pick(genTypes), valid.FormatDate(start), valid.FormatDate(end),
		g.pick(genDrugs), g.pick(genRisks), g.pick(genJobs), notes}
}

// id draws a new ID number with the sex digit and check digit right.
func (g *generator) id(area string, birth time.Time, male bool) string {
	for {
		seq := g.rng.IntN(100)*10 + 2*g.rng.IntN(5)
		if male {
			seq++
		}
		body := fmt.Sprintf("%s%s%03d", area, birth.Format("20060102"), seq)
		id := body + string(valid.CheckDigit(body))
		if !g.seen[id] {
			g.seen[id] = true
			return id
		}
	}
}

func (g *generator) name() string {
	var b strings.Builder
	b.WriteRune(genSurnames[g.rng.IntN(len(genSurnames))])
	for range 1 + g.rng.IntN(2) {
		b.WriteRune(genGiven[g.rng.IntN(len(genGiven))])
	}
	return b.String()
}

func (g *generator) phone() string {
	b := []byte{'1', "3589"[g.rng.IntN(4)]}
	for range 9 {
		b = append(b, byte('0'+g.rng.IntN(10)))
	}
	return string(b)
}
