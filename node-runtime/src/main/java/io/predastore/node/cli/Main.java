package io.predastore.node.cli;

/** Entry point of the {@code predastore-node} command line. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("predastore-node");
    }
}
