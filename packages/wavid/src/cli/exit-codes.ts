/** Exit codes shared by every command. */
export const EXIT_OK = 0;
/** Some file does not comply, could not be fixed, or a remote service refused. */
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
