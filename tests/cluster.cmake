# Cluster mode (docs/cluster.md): 3 etcd members and 3 nodes on loopback,
# transfers to every node, then faults (kill -9 of the leader, SIGSTOP past
# the lease, a follower down for 100 blocks, an etcd member killed), then a
# fresh fourth node that state-syncs, is killed mid-sync and resumes. Needs
# etcd (Debian etcd-server, scripts/deps/cluster.list); without it the test
# is skipped. Unit tests of src/cluster are in tests/unit/cluster.
find_program(WARD_ETCD etcd)
if(TARGET ward AND TARGET ward_tx_tool)
  add_test(NAME cluster_faults
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cluster/cluster_test.sh $<TARGET_FILE:ward> $<TARGET_FILE:ward_tx_tool>)
  set_tests_properties(cluster_faults PROPERTIES
    ENVIRONMENT "FOLLOWER_BLOCKS=100"
    PASS_REGULAR_EXPRESSION "cluster test: passed"
    SKIP_REGULAR_EXPRESSION "cluster test: needs etcd"
    TIMEOUT 240
    RUN_SERIAL TRUE
    LABELS "cluster")
endif()
