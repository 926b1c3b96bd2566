package io.weft.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void columnsAlignWithoutTrailingBlanksAndEmptyCellsShowADash() {
        String t = new Table().row("weave:expose", "", "100.96.0.3/12").row("netns:c1", "aa:bb:cc:dd:ee:01", "100.96.0.1/12").toString();
        assertEquals("weave:expose  -                  100.96.0.3/12\n"
                + "netns:c1      aa:bb:cc:dd:ee:01  100.96.0.1/12\n", t);
    }

    @Test
    void fieldsRightAlignKeysOnTheColon() {
        assertEquals("        Version: 1\n\n        Service: router\n",
                new Fields().add("Version", 1).blank().add("Service", "router").toString());
    }

    @Test
    void jsonStringsAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\\n\\u0001\"", Json.string("a\"b\\c\n\u0001"));
    }
}
