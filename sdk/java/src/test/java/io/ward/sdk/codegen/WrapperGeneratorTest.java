package io.ward.sdk.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ward.sdk.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator on an ABI using every type: the output compiles, bad input gets a precise error. */
class WrapperGeneratorTest {
  static final String ABI = """
      {"abi_version": 1,
       "methods": [
         {"name": "Open", "params": [{"name": "deal", "type": "escrow::Deal"}, {"name": "tags", "type": "string[]"}], "returns": "object_id", "readonly": false},
         {"name": "Find", "params": [{"name": "class", "type": "u32"}, {"name": "who", "type": "address?"}], "returns": "escrow::Deal[]?", "readonly": true},
         {"name": "Mix", "params": [{"name": "a", "type": "i8"}, {"name": "b", "type": "u16"}, {"name": "c", "type": "i64"}, {"name": "d", "type": "bytes"},
                                     {"name": "e", "type": "hash"}, {"name": "f", "type": "bool"}, {"name": "g", "type": "u64[]"}], "returns": "bool", "readonly": false},
         {"name": "Ping", "params": [], "returns": null, "readonly": false}
       ],
       "types": [{"name": "escrow::Deal", "fields": [{"name": "seller", "type": "address"}, {"name": "amount", "type": "u64"}, {"name": "memo", "type": "string?"}]}]}
      """;

  @Test
  void generatedClassCompiles(@TempDir Path dir) throws Exception {
    Path abi = dir.resolve("escrow.abi.json");
    Files.writeString(abi, ABI);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = WrapperGenerator.run(new String[] {"--abi", abi.toString(), "--class", "com.example.Escrow", "--out", dir.resolve("src").toString()},
        new PrintStream(out), new PrintStream(err));
    assertEquals(0, rc, err.toString());
    Path src = dir.resolve("src/com/example/Escrow.java");
    String text = Files.readString(src);
    assertTrue(text.contains("public record Deal(Address seller, long amount, Optional<String> memo)"), text);
    assertTrue(text.contains("public CompletableFuture<Optional<List<Deal>>> find(long class_, Optional<Address> who)"), text);
    assertTrue(text.contains("public ContractCall<ObjectId> open(Deal deal, List<String> tags)"), text);
    assertTrue(text.contains("public ContractCall<Void> ping()"), text);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diag = new ByteArrayOutputStream();
    int c = javac.run(null, null, diag, "-Xlint:all", "-Werror", "-proc:none", "-classpath", System.getProperty("java.class.path"), "-d",
        dir.resolve("classes").toString(), src.toString());
    assertEquals(0, c, diag.toString(StandardCharsets.UTF_8));
  }

  @Test
  void badInput(@TempDir Path dir) throws Exception {
    Path abi = dir.resolve("bad.abi.json");
    Files.writeString(abi, "{\"methods\": [{\"name\": \"M\", \"params\": [{\"name\": \"x\", \"type\": \"f32\"}], \"returns\": \"bool\"}]}");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = WrapperGenerator.run(new String[] {"--abi", abi.toString(), "--class", "x.Y", "--out", dir.toString()}, System.out, new PrintStream(err));
    assertEquals(2, rc);
    assertTrue(err.toString().contains("method M param x: unknown type 'f32'"), err.toString());
    err.reset();
    rc = WrapperGenerator.run(new String[] {"--abi", abi.toString()}, System.out, new PrintStream(err));
    assertEquals(2, rc);
    assertTrue(err.toString().contains("--abi, --class and --out are required"), err.toString());
  }

  @Test
  void names() {
    assertEquals("getBalance", WrapperGenerator.memberName("GetBalance"));
    assertEquals("totalSupply", WrapperGenerator.memberName("total_supply"));
    assertEquals("class_", WrapperGenerator.memberName("class"));
    assertEquals("\"a\\\"b\\u00e9\"", WrapperGenerator.literal("a\"b\u00e9"));
    assertEquals(List.of(), List.of());
    assertTrue(Json.parse(ABI).isObject());
  }
}
