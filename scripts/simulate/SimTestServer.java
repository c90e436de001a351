// Temporal's Java test server (time skipping) with its clock starting at a given instant, for the
// simulator (scripts/simulate/): the simulated month lies in the past, and a test server's clock
// only moves forward. Same behaviour as io.temporal.testserver.TestServer otherwise.
//
//   java -cp "<test-server lib>/*:<this class>" SimTestServer <port> --enable-time-skipping <initialTimeMillis>
//
// Compiled by scripts/simulate/time-skipping.ts into ~/.cache/gongdian-flow/sim-test-server.
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;

public final class SimTestServer {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    boolean timeSkipping = false;
    long initialTimeMillis = 0;
    for (int i = 1; i < args.length; i++) {
      if ("--enable-time-skipping".equalsIgnoreCase(args[i])) timeSkipping = true;
      else initialTimeMillis = Long.parseLong(args[i]);
    }
    TestServicesStarter services = new TestServicesStarter(!timeSkipping, initialTimeMillis);
    ServerBuilder<?> builder = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create());
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    Server server = builder.build().start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.shutdown();
      services.close();
    }));
    server.awaitTermination();
  }
}
