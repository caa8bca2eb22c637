package io.ward.sdk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code ward node --dev} for the end-to-end tests: its dev key imported from a fixed seed,
 * listening on a free 127.0.0.1 port (port 0; the port is read from the log). {@link #close()}
 * stops it (SIGTERM, then SIGKILL); a shutdown hook does the same if the JVM ends first.
 */
final class DevNode implements AutoCloseable {
  /** The dev key's seed (test-only). */
  static final String DEV_SEED = "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100";
  private static final Pattern LISTENING = Pattern.compile("rpc listening on http://127\\.0\\.0\\.1:(\\d+)");

  final Path ward;
  final Path dir;
  final Path log;
  final String url;
  private final Process process;
  private final Thread hook;

  DevNode(Path ward, Path dir) throws Exception {
    this.ward = ward;
    this.dir = dir;
    this.log = dir.resolve("node.log");
    deleteTree(dir);  // a fresh chain each run; the log of the last run stays for inspection
    Files.createDirectories(dir);
    run(ward.toString(), "keys", "import", "dev", "--seed", DEV_SEED, "--insecure-plaintext", "--keystore", dir.resolve("keys").toString());
    process = new ProcessBuilder(ward.toString(), "node", "--dev", "--data", dir.resolve("data").toString(), "--keystore",
        dir.resolve("keys").toString(), "--rpc", "127.0.0.1:0", "--rpc-threads", "4")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(log.toFile())
        .start();
    hook = new Thread(this::stop);
    Runtime.getRuntime().addShutdownHook(hook);
    String found = null;
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (found == null && System.nanoTime() < deadline && process.isAlive()) {
        Matcher m = LISTENING.matcher(Files.exists(log) ? Files.readString(log) : "");
        if (m.find()) found = m.group(1); else Thread.sleep(50);
      }
      if (found == null) throw new IllegalStateException("the node did not start; its log:\n" + tail());
    } catch (Exception e) {
      close();
      throw e;
    }
    url = "http://127.0.0.1:" + found;
  }

  /** The last lines of the node's log. */
  String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  boolean alive() { return process.isAlive(); }

  private void stop() {
    if (!process.isAlive()) return;
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook runs anyway.
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (var walk = Files.walk(p)) {
      for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(q);
    }
  }

  static void run(String... cmd) throws IOException, InterruptedException {
    List<String> c = new ArrayList<>(List.of(cmd));
    Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException(String.join(" ", c) + " failed:\n" + out);
  }
}
