package paper_test

import (
	"bytes"
	"time"

	"rehabdesk/store/paper"
)

// A batch screen prints the sheet of the persons it lists for a test day;
// the officer saves it where they choose (the GUI's pickSavePath) and hands
// it to the volunteer. The boxes' order is paper.SheetBoxes(kind).
func ExampleWriteSheet() {
	var pdf bytes.Buffer
	err := paper.WriteSheet(&pdf, paper.SheetHeader{
		Kind:     paper.TestSheet,
		Township: "青岩镇",
		Village:  "龙井村",
		Date:     time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC),
	}, []paper.SheetRow{
		{Name: "王小明", Detail: "社区戒毒 第2年"},
		{Name: "杨文", Detail: "社区康复"},
	})
	if err != nil {
		panic(err) // a real screen shows the error
	}
	_ = pdf.Bytes() // written to the file the officer chose
}
