package pot.login.adapters.portal;

/** Paths that the adapters append to the portal's API root. */
final class PortalPaths {

    private PortalPaths() {
    }

    /**
     * A path must stay on the portal's host: an absolute URL, or a scheme-relative {@code //host/...}, would send the
     * client secret or the user's token wherever the configuration points.
     */
    static void requireRelative(String path, String what) {
        if (!path.startsWith("/") || path.startsWith("//") || path.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("the " + what + " is not a path on the portal's API root (one leading"
                    + " '/', no spaces): '" + path + "'");
        }
    }
}
