package io.github.luzj.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonNull;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import com.google.gson.Strictness;
import org.junit.jupiter.api.Test;

class JsonTextTest {

    @Test
    void aNameGivenTwiceInOneObjectIsRefusedWhereverTheObjectIs() {
        for (String text : new String[] {
            "{\"a\": 1, \"a\": 2}",
            "{\"x\": {\"b\": [1, {\"a\": 1, \"a\": 1}]}}",
            "[{}, {\"a\": {\"c\": 1}, \"b\": 2, \"a\": 3}]",
        }) {
            assertThat(JsonParser.parseString(text)).as("Gson alone takes %s", text).isNotNull();
            assertThatThrownBy(() -> JsonText.parse(text))
                    .as(text)
                    .isInstanceOf(JsonSyntaxException.class)
                    .hasMessage("the name 'a' appears twice in one object");
        }
    }

    @Test
    void theSameNameInDifferentObjectsIsFine() {
        String text = "{\"a\": {\"a\": 1}, \"b\": [{\"a\": 1}, {\"a\": 2}], \"c\": {\"b\": {}}}";
        assertThat(JsonText.parse(text)).isEqualTo(JsonParser.parseString(text));
        assertThat(JsonText.parse("")).isEqualTo(JsonNull.INSTANCE);
        assertThat(JsonText.parse("[1, \"a\", null, true]")).isEqualTo(JsonParser.parseString("[1, \"a\", null, true]"));
    }

    @Test
    void whatGsonRefusesStaysRefusedAndALongNameIsCut() {
        assertThatThrownBy(() -> JsonText.parse("{\"a\": ")).isInstanceOf(JsonSyntaxException.class);
        assertThatThrownBy(() -> JsonText.parse("[".repeat(5000) + "]".repeat(5000)))
                .isInstanceOf(JsonSyntaxException.class);
        String name = "n".repeat(100_000);
        assertThatThrownBy(() -> JsonText.parse("{\"" + name + "\": 1, \"" + name + "\": 2}"))
                .hasMessage("the name '" + "n".repeat(40) + "... (100000 characters)' appears twice in one object");
        assertThatThrownBy(() -> JsonText.refuseRepeatedNames("{a: 1, a: 2}", Strictness.LENIENT))
                .hasMessageContaining("'a' appears twice");
    }
}
