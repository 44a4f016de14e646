package io.github.luzj.callbacks;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.luzj.base.Checks;
import java.util.Arrays;

/** Reads back the JSON object a callback's {@code state()} wrote into a checkpoint. */
final class SavedState {

    private SavedState() {}

    /**
     * Returns the saved object, or null when nothing was saved.
     *
     * @param state what the checkpoint holds for the callback
     * @param owner the callback's name, for the message
     * @param required the fields the object must have
     * @return the object, or null for a null or JSON-null state
     * @throws io.github.luzj.base.LuzjException when the state is not such an object
     */
    static JsonObject object(JsonElement state, String owner, String... required) {
        if (state == null || state.isJsonNull()) {
            return null;
        }
        Checks.check(
                state.isJsonObject()
                        && Arrays.stream(required).allMatch(state.getAsJsonObject()::has),
                "%s state must be an object%s, got %s; the checkpoint is damaged: resume from"
                        + " another, or start afresh",
                owner,
                required.length == 0 ? "" : " with '" + String.join("', '", required) + "'",
                state);
        return state.getAsJsonObject();
    }
}
