package search

import "testing"

func TestPinyin(t *testing.T) {
	tests := []struct{ name, full, initials string }{
		{"张三", "zhangsan", "zs"},
		{"单雄", "shanxiong", "sx"},
		{"曾小明", "zengxiaoming", "zxm"},
		{"解放", "xiefang", "xf"},
		{"区华", "ouhua", "oh"},
		{"仇平", "qiuping", "qp"},
		{"朴英", "piaoying", "py"},
		{"查强", "zhaqiang", "zq"},
		{"翟军", "zhaijun", "zj"},
		{"万俟德", "moqide", "mqd"},
		{"吕梅", "lvmei", "lm"},
		{"阿依古丽·买买提", "ayigulimaimaiti", "ayglmmt"},
		{"Tom李", "tomli", "toml"},
		{"张　三 ", "zhangsan", "zs"},
		{"𠮷田", "tian", "t"},
		{"", "", ""},
	}
	for _, tt := range tests {
		full, initials := Pinyin(tt.name)
		if full != tt.full || initials != tt.initials {
			t.Errorf("Pinyin(%q) = %q, %q; want %q, %q", tt.name, full, initials, tt.full, tt.initials)
		}
	}
}
