// Your Redis server, written from scratch: exercises/track/README.md and stages/01-bind.md say where to start.
public class Main {

    /** Started by exercises/track/check as {@code java -cp target/classes Main --port N}. */
    public static void main(String[] args) {
    }
}
