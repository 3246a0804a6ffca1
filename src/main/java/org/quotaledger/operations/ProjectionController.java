package org.quotaledger.operations;

import java.net.URI;

import org.quotaledger.operations.ProjectionRebuilds.RebuildStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Operators rebuild projections (ops/rebuild-projection.sh drives this). */
@RestController
@RequestMapping("/api/v1/admin/projections")
class ProjectionController {

    private final ProjectionRebuilds rebuilds;

    ProjectionController(ProjectionRebuilds rebuilds) {
        this.rebuilds = rebuilds;
    }

    @PostMapping("/{projection}/rebuild")
    ResponseEntity<RebuildStatus> rebuild(@PathVariable String projection) {
        RebuildStatus status = rebuilds.rebuild(projection);
        return ResponseEntity.accepted().location(URI.create("/api/v1/admin/projections/" + projection)).body(status);
    }

    @GetMapping("/{projection}")
    RebuildStatus status(@PathVariable String projection) {
        return rebuilds.status(projection);
    }
}
