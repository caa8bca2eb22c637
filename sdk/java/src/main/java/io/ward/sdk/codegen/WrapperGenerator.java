package io.ward.sdk.codegen;

import com.fasterxml.jackson.databind.JsonNode;
import io.ward.sdk.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a contract ABI (the {@code .abi.json} of {@code ward build}) into a typed Java class:
 * {@code Token.deploy(wallet, wasm, init, opts)}, {@code Token.load(address, wallet)}, one method
 * per ABI method (read-only methods return {@code CompletableFuture<T>}, the others a
 * {@link io.ward.sdk.ContractCall} to {@code send()}), a nested {@code Init} with the init-call
 * builders, and a record per ABI struct.
 *
 * <pre>
 * java -cp ward-sdk.jar:jackson-*.jar io.ward.sdk.codegen.WrapperGenerator --abi token.abi.json --class com.example.Token --out src/generated/java
 * </pre>
 *
 * Type mapping: u64, i64 and u32 to {@code long} (u64 read as unsigned), smaller integers to
 * {@code int}, bool, string, address ({@link io.ward.sdk.Address}), object_id, hash, bytes,
 * {@code T[]} to {@code List<T>}, {@code T?} to {@code Optional<T>}, structs to records.
 */
public final class WrapperGenerator {
  private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
      "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto", "if", "implements", "import",
      "instanceof", "int", "interface", "long", "native", "new", "package", "private", "protected", "public", "return", "short", "static",
      "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false",
      "null", "var", "record", "yield", "sealed", "permits");
  /** Names the generated class uses itself. */
  private static final Set<String> RESERVED = Set.of("address", "contract", "deploy", "load", "wallet", "toString", "hashCode", "equals",
      "getClass", "notify", "notifyAll", "wait", "clone", "finalize");

  private final JsonNode abi;
  private final String packageName;
  private final String className;
  private final String sourceName;
  private final Map<String, String> structNames = new LinkedHashMap<>();
  private final Map<String, JsonNode> structs = new LinkedHashMap<>();
  private int depth;

  /**
   * @param abi the ABI JSON
   * @param qualifiedClass the class to generate, e.g. {@code com.example.Token}
   * @param sourceName the ABI file's name, quoted in the generated header
   * @throws IllegalArgumentException when the ABI or the class name is malformed
   */
  public WrapperGenerator(JsonNode abi, String qualifiedClass, String sourceName) {
    this.abi = abi;
    int dot = qualifiedClass.lastIndexOf('.');
    this.packageName = dot < 0 ? "" : qualifiedClass.substring(0, dot);
    this.className = qualifiedClass.substring(dot + 1);
    this.sourceName = sourceName;
    if (!className.matches("[A-Z][A-Za-z0-9_]*")) throw new IllegalArgumentException("class name '" + className + "' must be a Java type name");
    if (!packageName.isEmpty() && !packageName.matches("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*")) {
      throw new IllegalArgumentException("package '" + packageName + "' is not a Java package name");
    }
    if (!abi.isObject() || !abi.path("methods").isArray()) throw new IllegalArgumentException("ABI must be an object with a 'methods' array");
    if (abi.has("abi_version") && abi.get("abi_version").asInt() != 1) {
      throw new IllegalArgumentException("ABI version " + abi.get("abi_version") + " is not supported (expected 1)");
    }
    Set<String> used = new HashSet<>();
    for (JsonNode t : abi.path("types")) {
      String name = text(t, "name", "types[]");
      String[] parts = name.split("::");
      String simple = typeName(parts[parts.length - 1]);
      while (!used.add(simple) || simple.equals(className) || simple.equals("Init")) simple = simple + "_";
      structNames.put(name, simple);
      structs.put(name, t);
    }
  }

  /** Command line: {@code --abi FILE --class PACKAGE.CLASS --out DIR}; exit 0, or 2 with a message. */
  public static void main(String[] args) {
    int rc = run(args, System.out, System.err);
    // Exit only on failure: inside a build (exec:java) a normal return keeps the build's JVM running.
    if (rc != 0) System.exit(rc);
  }

  /** The CLI without exiting: returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    String abiPath = null;
    String cls = null;
    String outDir = null;
    for (int i = 0; i < args.length; ++i) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        out.println("usage: WrapperGenerator --abi FILE.abi.json --class PACKAGE.CLASS --out DIR");
        out.println("Writes DIR/PACKAGE/CLASS.java, a typed client of the contract the ABI describes.");
        return 0;
      }
      if (i + 1 >= args.length) {
        err.println("ward-sdk codegen: " + a + (a.startsWith("--") ? " needs a value" : ": unexpected argument"));
        return 2;
      }
      switch (a) {
        case "--abi" -> abiPath = args[++i];
        case "--class" -> cls = args[++i];
        case "--out" -> outDir = args[++i];
        default -> {
          err.println("ward-sdk codegen: unknown option " + a + " (see --help)");
          return 2;
        }
      }
    }
    if (abiPath == null || cls == null || outDir == null) {
      err.println("ward-sdk codegen: --abi, --class and --out are required (see --help)");
      return 2;
    }
    try {
      Path abiFile = Path.of(abiPath);
      JsonNode abi = Json.parse(Files.readString(abiFile, StandardCharsets.UTF_8));
      WrapperGenerator g = new WrapperGenerator(abi, cls, abiFile.getFileName().toString());
      Path target = Path.of(outDir).resolve(cls.replace('.', '/') + ".java");
      Files.createDirectories(target.getParent());
      Files.writeString(target, g.generate(), StandardCharsets.UTF_8);
      out.println("wrote " + target);
      return 0;
    } catch (java.nio.file.NoSuchFileException e) {
      err.println("ward-sdk codegen: no such file: " + e.getFile());
      return 2;
    } catch (IOException e) {
      err.println("ward-sdk codegen: " + e);
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("ward-sdk codegen: " + abiPath + ": " + e.getMessage());
      return 2;
    }
  }

  /** The Java source of the wrapper class. */
  public String generate() {
    StringBuilder s = new StringBuilder();
    String abiText = Json.write(abi);
    if (abiText.getBytes(StandardCharsets.UTF_8).length > 60000) throw new IllegalArgumentException("ABI too large to embed (over 60000 bytes)");
    s.append("// Generated by io.ward.sdk.codegen.WrapperGenerator from ").append(sourceName).append(". Do not edit.\n");
    if (!packageName.isEmpty()) s.append("package ").append(packageName).append(";\n\n");
    s.append("""
        import com.fasterxml.jackson.databind.JsonNode;
        import com.fasterxml.jackson.databind.node.JsonNodeFactory;
        import com.fasterxml.jackson.databind.node.ObjectNode;
        import io.ward.sdk.AbiCodec;
        import io.ward.sdk.Address;
        import io.ward.sdk.Bytes;
        import io.ward.sdk.Contract;
        import io.ward.sdk.ContractCall;
        import io.ward.sdk.DeployOptions;
        import io.ward.sdk.Hash;
        import io.ward.sdk.Json;
        import io.ward.sdk.ObjectId;
        import io.ward.sdk.WardClient;
        import io.ward.sdk.Wallet;
        import java.util.List;
        import java.util.Optional;
        import java.util.concurrent.CompletableFuture;

        """);
    s.append("/** Typed client of the contract described by ").append(sourceName).append(". */\n");
    s.append("public final class ").append(className).append(" {\n");
    s.append("  /** The ABI this class was generated from (carried by {@link #deploy}). */\n");
    s.append("  public static final String ABI = ").append(literal(abiText)).append(";\n");
    s.append("""
          private static final JsonNode ABI_JSON = Json.parse(ABI);
          private final Contract contract;
          private final Wallet wallet;

          private %1$s(Contract contract, Wallet wallet) {
            this.contract = contract;
            this.wallet = wallet;
          }

          /**
           * Deploys the contract with this ABI attached (unless {@code opts} carries one) and runs
           * {@code init} (see {@link Init}); completes once it is included, with a wrapper sending
           * from {@code wallet}.
           */
          public static CompletableFuture<%1$s> deploy(Wallet wallet, byte[] wasm, io.ward.sdk.Init init, DeployOptions opts) {
            DeployOptions o = opts.abi().isPresent() ? opts : opts.abi(ABI);
            return wallet.deploy(wasm, init, o).thenApply(d -> new %1$s(Contract.at(wallet.client(), d.contract(), ABI_JSON), wallet));
          }

          /** The contract at {@code address}, sending from {@code wallet}. */
          public static %1$s load(Address address, Wallet wallet) {
            return new %1$s(Contract.at(wallet.client(), address, ABI_JSON), wallet);
          }

          /** The contract at {@code address}, read-only (calls can be viewed, not sent). */
          public static %1$s load(Address address, WardClient client) {
            return new %1$s(Contract.at(client, address, ABI_JSON), null);
          }

          /** The contract's address. */
          public Address address() { return contract.address(); }

          /** The untyped contract handle. */
          public Contract contract() { return contract; }

        """.formatted(className));

    StringBuilder inits = new StringBuilder();
    Set<String> usedNames = new HashSet<>(RESERVED);
    for (JsonNode m : abi.path("methods")) {
      String name = text(m, "name", "methods[]");
      String where = "method " + name;
      boolean readonly = m.path("readonly").asBoolean(false);
      String jname = memberName(name);
      while (!usedNames.add(jname)) jname = jname + "_";
      List<String[]> params = new ArrayList<>();
      Set<String> paramNames = new HashSet<>();
      for (JsonNode p : m.path("params")) {
        String pn = text(p, "name", where + " params[]");
        String pt = text(p, "type", where + " param " + pn);
        String jp = memberName(pn);
        while (!paramNames.add(jp) || jp.equals("a")) jp = jp + "_";
        params.add(new String[] {pn, pt, jp});
      }
      JsonNode ret = m.get("returns");
      String rt = ret == null || ret.isNull() || ret.asText().isEmpty() || ret.asText().equals("void") ? null : ret.asText();
      String jrt = rt == null ? "Void" : javaType(rt, true, where + " result");
      String decoder = rt == null ? "n -> null" : "n -> " + decode(rt, "n");
      StringBuilder sig = new StringBuilder();
      StringBuilder build = new StringBuilder("    ObjectNode a = JsonNodeFactory.instance.objectNode();\n");
      for (String[] p : params) {
        if (sig.length() > 0) sig.append(", ");
        sig.append(javaType(p[1], false, where + " param " + p[0])).append(' ').append(p[2]);
        build.append("    a.set(").append(literal(p[0])).append(", ").append(encode(p[1], p[2])).append(");\n");
      }
      String doc = "  /** {@code " + name + "(" + paramList(m) + ")" + (rt == null ? "" : " -> " + rt) + "}" + (readonly ? ", read-only" : "") + ". */\n";
      if (readonly) {
        s.append(doc);
        s.append("  public CompletableFuture<").append(jrt).append("> ").append(jname).append("(").append(sig).append(") {\n");
        s.append(build);
        s.append("    return contract.view(").append(literal(name)).append(", a).thenApply(").append(decoder).append(");\n  }\n\n");
      } else {
        s.append(doc);
        s.append("  public ContractCall<").append(jrt).append("> ").append(jname).append("(").append(sig).append(") {\n");
        s.append(build);
        s.append("    return new ContractCall<>(contract, wallet, ").append(literal(name)).append(", a, ").append(decoder).append(");\n  }\n\n");
        inits.append("    /** Runs {@code ").append(name).append("} at deployment. */\n");
        inits.append("    public static io.ward.sdk.Init ").append(memberName(name)).append("(").append(sig).append(") {\n");
        inits.append(build.toString().replace("\n    ", "\n      ").replaceFirst("^    ", "      "));
        inits.append("      return io.ward.sdk.Init.of(").append(literal(name)).append(", a);\n    }\n\n");
      }
    }
    s.append("  /** Init calls for {@link #deploy}: {@code ").append(className).append(".deploy(wallet, wasm, ").append(className)
        .append(".Init.method(args), opts)}. */\n");
    s.append("  public static final class Init {\n    private Init() {}\n\n").append(inits).append("  }\n");
    for (Map.Entry<String, JsonNode> e : structs.entrySet()) s.append('\n').append(struct(e.getKey(), e.getValue()));
    s.append("}\n");
    return s.toString();
  }

  private String struct(String abiName, JsonNode t) {
    String name = structNames.get(abiName);
    String where = "struct " + abiName;
    StringBuilder comps = new StringBuilder();
    StringBuilder toJson = new StringBuilder("      ObjectNode a = JsonNodeFactory.instance.objectNode();\n");
    StringBuilder fromJson = new StringBuilder();
    Set<String> used = new HashSet<>();
    for (JsonNode f : t.path("fields")) {
      String fn = text(f, "name", where + " fields[]");
      String ft = text(f, "type", where + " field " + fn);
      String jf = memberName(fn);
      while (!used.add(jf) || jf.equals("a") || jf.equals("n")) jf = jf + "_";
      if (comps.length() > 0) {
        comps.append(", ");
        fromJson.append(",\n          ");
      }
      comps.append(javaType(ft, false, where + " field " + fn)).append(' ').append(jf);
      toJson.append("      a.set(").append(literal(fn)).append(", ").append(encode(ft, jf)).append(");\n");
      fromJson.append(decode(ft, "AbiCodec.field(n, " + literal(fn) + ")"));
    }
    return "  /** The ABI struct {@code " + abiName + "}. */\n"
        + "  public record " + name + "(" + comps + ") {\n"
        + "    /** As the contract reads it. */\n"
        + "    public JsonNode toJson() {\n" + toJson + "      return a;\n    }\n\n"
        + "    /** As the contract writes it. */\n"
        + "    public static " + name + " fromJson(JsonNode n) {\n"
        + "      return new " + name + "(" + fromJson + ");\n    }\n  }\n";
  }

  private String javaType(String t, boolean boxed, String where) {
    if (t.endsWith("?")) return "Optional<" + javaType(t.substring(0, t.length() - 1), true, where) + ">";
    if (t.endsWith("[]")) return "List<" + javaType(t.substring(0, t.length() - 2), true, where) + ">";
    return switch (t) {
      case "u64", "i64", "u32" -> boxed ? "Long" : "long";
      case "i32", "i16", "i8", "u16", "u8" -> boxed ? "Integer" : "int";
      case "bool" -> boxed ? "Boolean" : "boolean";
      case "string" -> "String";
      case "address" -> "Address";
      case "object_id" -> "ObjectId";
      case "hash" -> "Hash";
      case "bytes" -> "Bytes";
      default -> {
        String s = structNames.get(t);
        if (s == null) throw new IllegalArgumentException(where + ": unknown type '" + t + "'");
        yield s;
      }
    };
  }

  private String decode(String t, String expr) {
    if (t.endsWith("?")) {
      String v = "x" + (depth++);
      return "AbiCodec.optional(" + expr + ", " + v + " -> " + decode(t.substring(0, t.length() - 1), v) + ")";
    }
    if (t.endsWith("[]")) {
      String v = "x" + (depth++);
      return "AbiCodec.list(" + expr + ", " + v + " -> " + decode(t.substring(0, t.length() - 2), v) + ")";
    }
    return switch (t) {
      case "u64" -> "AbiCodec.u64(" + expr + ")";
      case "i64" -> "AbiCodec.i64(" + expr + ")";
      case "u32" -> "AbiCodec.u32(" + expr + ")";
      case "i32", "i16", "i8" -> "AbiCodec.small(" + expr + ", " + t.substring(1) + ", true)";
      case "u16", "u8" -> "AbiCodec.small(" + expr + ", " + t.substring(1) + ", false)";
      case "bool" -> "AbiCodec.bool(" + expr + ")";
      case "string" -> "AbiCodec.string(" + expr + ")";
      case "address" -> "AbiCodec.address(" + expr + ")";
      case "object_id" -> "AbiCodec.objectId(" + expr + ")";
      case "hash" -> "AbiCodec.hash(" + expr + ")";
      case "bytes" -> "AbiCodec.bytes(" + expr + ")";
      default -> structNames.get(t) + ".fromJson(" + expr + ")";
    };
  }

  private String encode(String t, String expr) {
    if (t.endsWith("?")) {
      String v = "e" + (depth++);
      return "AbiCodec.optionalTree(" + expr + ", " + v + " -> " + encode(t.substring(0, t.length() - 1), v) + ")";
    }
    if (t.endsWith("[]")) {
      String v = "e" + (depth++);
      return "AbiCodec.listTree(" + expr + ", " + v + " -> " + encode(t.substring(0, t.length() - 2), v) + ")";
    }
    if (t.equals("u64")) return "AbiCodec.u64Tree(" + expr + ")";
    if (structNames.containsKey(t)) return expr + ".toJson()";
    return "Json.toTree(" + expr + ")";
  }

  private static String paramList(JsonNode m) {
    StringBuilder b = new StringBuilder();
    for (JsonNode p : m.path("params")) {
      if (b.length() > 0) b.append(", ");
      b.append(p.path("name").asText()).append(": ").append(p.path("type").asText());
    }
    return b.toString().replace("*/", "* /");
  }

  /** {@code GetBalance} to {@code getBalance}, {@code total_supply} to {@code totalSupply}. */
  static String memberName(String abiName) {
    String c = camel(abiName);
    c = c.isEmpty() ? "_" : Character.toLowerCase(c.charAt(0)) + c.substring(1);
    if (Character.isDigit(c.charAt(0))) c = "_" + c;
    return KEYWORDS.contains(c) ? c + "_" : c;
  }

  static String typeName(String abiName) {
    String c = camel(abiName);
    c = c.isEmpty() ? "_" : Character.toUpperCase(c.charAt(0)) + c.substring(1);
    return Character.isDigit(c.charAt(0)) ? "_" + c : c;
  }

  private static String camel(String s) {
    StringBuilder b = new StringBuilder();
    boolean up = false;
    for (char ch : s.toCharArray()) {
      if (ch == '_' || !Character.isLetterOrDigit(ch) || ch > 127) {
        up = b.length() > 0;
        continue;
      }
      b.append(up ? Character.toUpperCase(ch) : ch);
      up = false;
    }
    return b.toString();
  }

  private static String text(JsonNode obj, String field, String where) {
    JsonNode n = obj.get(field);
    if (n == null || !n.isTextual() || n.asText().isEmpty()) throw new IllegalArgumentException(where + ": '" + field + "' must be a non-empty string");
    return n.asText();
  }

  static String literal(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (ch < 0x20 || ch > 0x7e) b.append(String.format(Locale.ROOT, "\\u%04x", (int) ch)); else b.append(ch);
        }
      }
    }
    return b.append('"').toString();
  }
}
