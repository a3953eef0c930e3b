package pot.login.domain.state;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The key ring: the first key signs new states, every key verifies (a retired one within its limits). Rotate by
 * putting a new key first and marking the old one retired.
 */
public final class StateKeys {

    private final StateKey signing;
    private final Map<String, StateKey> byId;

    public StateKeys(List<StateKey> newestFirst) {
        Objects.requireNonNull(newestFirst, "keys");
        if (newestFirst.isEmpty()) {
            throw new IllegalArgumentException("no state key is given");
        }
        this.signing = newestFirst.get(0);
        if (signing.isRetired()) {
            throw new IllegalArgumentException("the signing state key '" + signing.id() + "' is retired");
        }
        this.byId = new HashMap<>();
        for (StateKey key : newestFirst) {
            if (byId.put(key.id(), key) != null) {
                throw new IllegalArgumentException("state key id '" + key.id() + "' is used twice");
            }
        }
    }

    public StateKey signing() {
        return signing;
    }

    public Optional<StateKey> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }
}
