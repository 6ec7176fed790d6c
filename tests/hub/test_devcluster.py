from __future__ import annotations

import psycopg

from gradesec.hub.devcluster import Cluster


def test_the_cluster_listens_on_its_own_socket_only(pg_cluster: Cluster, hub_url: str) -> None:
    with psycopg.connect(hub_url) as conn:
        addresses = conn.execute("SHOW listen_addresses").fetchone()
        socket_dirs = conn.execute("SHOW unix_socket_directories").fetchone()
        data_dir = conn.execute("SHOW data_directory").fetchone()
    assert addresses == ("",)
    assert socket_dirs == (str(pg_cluster.socket_dir),)
    assert data_dir == (str(pg_cluster.data),)
    assert (pg_cluster.socket_dir / ".s.PGSQL.5432").exists()
